"""Browser tests of the network explorer: real server, real Chromium, driven by Playwright."""
