"""Partner access: API keys, scopes, field protection, certainty floors, anonymous mode."""
