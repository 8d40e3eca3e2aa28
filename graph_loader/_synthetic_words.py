"""Word lists for synthetic networks: places, names and sectors that read like the real thing."""

from __future__ import annotations

__all__ = [
    "CLUSTER_WORDS",
    "COUNTRIES",
    "EVENT_KINDS",
    "FIRST_NAMES",
    "LAST_NAMES",
    "ORG_FORMS",
    "ORG_WORDS",
    "PROGRAMME_WORDS",
    "PROJECT_WORDS",
    "ROLES",
    "SECTORS",
]

COUNTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Denmark", ("Copenhagen", "Aarhus", "Odense", "Aalborg")),
    ("Norway", ("Oslo", "Bergen", "Trondheim", "Stavanger")),
    ("Sweden", ("Stockholm", "Gothenburg", "Malmö", "Uppsala")),
    ("Finland", ("Helsinki", "Espoo", "Tampere", "Oulu")),
    ("Germany", ("Berlin", "Munich", "Hamburg", "Freiburg", "Leipzig")),
    ("France", ("Paris", "Lyon", "Grenoble", "Toulouse", "Nantes")),
    ("Netherlands", ("Amsterdam", "Rotterdam", "Eindhoven", "Delft")),
    ("Belgium", ("Brussels", "Ghent", "Liège")),
    ("Austria", ("Vienna", "Graz", "Linz")),
    ("Switzerland", ("Zurich", "Geneva", "Basel", "Lausanne")),
    ("Spain", ("Barcelona", "Madrid", "Bilbao", "Valencia")),
    ("Portugal", ("Lisbon", "Porto")),
    ("Italy", ("Milan", "Turin", "Bologna", "Rome")),
    ("Poland", ("Warsaw", "Kraków", "Gdańsk", "Wrocław")),
    ("Czechia", ("Prague", "Brno")),
    ("Estonia", ("Tallinn", "Tartu")),
    ("Ireland", ("Dublin", "Cork")),
    ("United Kingdom", ("London", "Manchester", "Glasgow", "Bristol")),
    ("Iceland", ("Reykjavík",)),
    ("Turkey", ("Istanbul", "Ankara", "Izmir")),
    ("Israel", ("Tel Aviv", "Haifa")),
    ("United States", ("Boulder", "Raleigh", "Austin", "San Diego", "Boston", "Seattle")),
    ("Canada", ("Toronto", "Vancouver", "Montréal", "Calgary")),
    ("Mexico", ("Monterrey", "Guadalajara")),
    ("Brazil", ("São Paulo", "Curitiba", "Recife")),
    ("Chile", ("Santiago", "Valparaíso")),
    ("Colombia", ("Medellín", "Bogotá")),
    ("China", ("Shanghai", "Shenzhen", "Tianjin", "Beijing")),
    ("Japan", ("Tokyo", "Osaka", "Kitakyushu")),
    ("South Korea", ("Seoul", "Busan", "Daejeon")),
    ("Taiwan", ("Taipei", "Hsinchu")),
    ("Singapore", ("Singapore",)),
    ("India", ("Bengaluru", "Pune", "Chennai")),
    ("Australia", ("Melbourne", "Adelaide", "Brisbane")),
    ("New Zealand", ("Auckland", "Wellington")),
    ("South Africa", ("Cape Town", "Johannesburg")),
    ("Kenya", ("Nairobi", "Mombasa")),
    ("Morocco", ("Casablanca", "Rabat")),
    ("Egypt", ("Cairo", "Alexandria")),
    ("United Arab Emirates", ("Abu Dhabi", "Dubai")),
)

SECTORS = (
    "cleantech",
    "renewable energy",
    "water technology",
    "smart grids",
    "bioeconomy",
    "energy efficiency",
    "circular economy",
    "clean transport",
    "hydrogen",
    "offshore wind",
    "solar energy",
    "waste management",
)

CLUSTER_WORDS = ("Cleantech", "Energy", "Green", "Water", "Climate", "Sustainable", "Eco", "Smart")
ORG_WORDS = (
    "Solar", "Wind", "Hydro", "Thermo", "Grid", "Aqua", "Bio", "Carbon", "Volt", "Terra",
    "Blue", "Nordic", "Polar", "Helio", "Enviro", "Circular", "Fjord", "Delta", "Boreal", "Sun",
)  # fmt: skip
ORG_FORMS = (
    "Systems", "Technologies", "Energy", "Solutions", "Labs", "Engineering", "Power", "Water",
    "Institute", "University", "Consulting", "Ventures", "Materials", "Networks", "Innovation",
)  # fmt: skip
PROJECT_WORDS = (
    "Horizon", "Bridge", "Pilot", "Accelerator", "Alliance", "Passport", "Matchmaking",
    "Testbed", "Corridor", "Living Lab", "Roadmap", "Exchange", "Scale-up", "Demonstrator",
)  # fmt: skip
PROGRAMME_WORDS = (
    "Interreg", "Horizon", "Eurostars", "Clean Energy", "Green Growth", "Innovation Fund",
    "Cluster Excellence", "Smart Specialisation", "Climate-KIC", "Nordic Energy Research",
)  # fmt: skip
EVENT_KINDS = ("conference", "matchmaking", "delegation visit", "workshop", "webinar", "summit")
ROLES = ("cluster manager", "board member", "chair", "project manager", "advisor", "director")

FIRST_NAMES = (
    "Anna", "Lars", "Marianna", "Søren", "Ingrid", "Mikael", "Astrid", "Jonas", "Camille",
    "Pierre", "Lucía", "Javier", "Giulia", "Marco", "Katarzyna", "Piotr", "Aino", "Mikko",
    "Eva", "Tomás", "Sarah", "David", "Emily", "James", "Olivia", "Daniel", "Chen", "Wei",
    "Yuki", "Haruto", "Ji-woo", "Min-jun", "Priya", "Arjun", "Amara", "Kwame", "Fatima",
    "Omar", "Noa", "Yosef", "Zeynep", "Emre", "Ana", "João", "Isabela", "Mateo", "Sofía",
    "Hannah", "Felix", "Lena", "Jan", "Maja", "Nils", "Sigrid", "Björn", "Élodie", "Hélène",
    "Nikolai", "Olga", "Tariq", "Leila", "Kofi", "Thandiwe", "Liam", "Chloé", "Sven", "Ida",
)  # fmt: skip
LAST_NAMES = (
    "Lubanski", "Hansen", "Jensen", "Nielsen", "Larsen", "Andersen", "Berg", "Lund",
    "Johansson", "Lindqvist", "Virtanen", "Korhonen", "Müller", "Schmidt", "Weber", "Fischer",
    "Dubois", "Lefèvre", "Moreau", "García", "Martínez", "Fernández", "Rossi", "Bianchi",
    "Kowalski", "Nowak", "Novák", "Tamm", "Murphy", "Smith", "Johnson", "Brown", "Taylor",
    "Wilson", "Tremblay", "Roy", "Silva", "Santos", "Oliveira", "González", "Wang", "Li",
    "Zhang", "Sato", "Suzuki", "Kim", "Park", "Sharma", "Patel", "Mensah", "Okafor", "Haddad",
    "Cohen", "Yilmaz", "Demir", "Van Dijk", "De Vries", "Janssens", "Gruber", "Huber",
    "Meier", "Costa", "Ivanov", "Petrov", "Naidoo", "Dlamini", "O'Brien", "Kaur", "Ahmed",
)  # fmt: skip
