"""The guest devices: who they are is fixed by the seed, not by when they come."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
import uuid

FIRST_NAMES = (
    "Giulia", "Marco", "Sofia", "Luca", "Emma", "Noah", "Olivia", "Liam", "Mia",
    "Lucas", "Chloe", "Hugo", "Lea", "Jonas", "Anna", "Mateo", "Sara", "Yuki",
    "Aisha", "Omar", "Ines", "Tomas", "Nora", "Elias", "Zoe", "Ravi",
)  # fmt: skip
LAST_NAMES = (
    "Rossi", "Bianchi", "Smith", "Jones", "Muller", "Schmidt", "Martin",
    "Bernard", "Garcia", "Lopez", "Tanaka", "Kim", "Silva", "Novak", "Jensen",
    "Khan", "Dubois", "Costa", "Weber", "Moreau",
)  # fmt: skip
# (ISO country, phone digits prefix, a city)
COUNTRIES = (
    ("IT", "347", "Roma"), ("IT", "333", "Milano"), ("DE", "1512", "Berlin"),
    ("FR", "612", "Paris"), ("GB", "7700", "London"), ("US", "202", "Chicago"),
    ("ES", "612", "Madrid"), ("NL", "612", "Amsterdam"), ("JP", "9012", "Tokyo"),
    ("BR", "1198", "Sao Paulo"),
)  # fmt: skip
# (device family, OUI or None for a randomized MAC, user agent)
DEVICES = (
    ("Apple", None, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"),
    ("Apple", "ac:bc:32", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
    ("Android", None, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"),
    ("Android", "5c:0a:5b", "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"),
    ("Windows", "3c:a9:f4", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    ("Other", None, "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
)  # fmt: skip
GUEST_VENDORS = ("wiwiz", "smartwifi")


@dataclass(slots=True, eq=False)
class Guest:
    """One device and what its owner may tell a captive portal."""

    index: int
    vendor: str
    mac: str  # lower-case colon pairs; each vendor writes it its own way
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    country: str
    city: str
    username: str | None
    device: str
    user_agent: str
    ad_user: str  # Wiwiz ad log `uuid`
    guest_token: str  # SmartWiFi guest profile token
    birthdate: str | None
    unsubscribed: bool
    last_hotspot: str | None = None  # name of the hotspot last joined
    last_end: float = 0.0  # when the last session ended: no arrival before it

    @property
    def smartwifi_id(self) -> int:
        """The id of the guest's SmartWiFi profile."""
        return 100000 + self.index


def mac_for(rng: Random, oui: str | None) -> str:
    """A device MAC: a vendor OUI, or a randomized (locally administered) one."""
    if oui is None:
        # Phones randomize their MAC per network: locally administered, unicast.
        first = (rng.getrandbits(8) & 0xFC) | 0x02
        octets = [first, *(rng.getrandbits(8) for _ in range(5))]
        return ":".join(f"{o:02x}" for o in octets)
    return oui + "".join(f":{rng.getrandbits(8):02x}" for _ in range(3))


def make_guest(rng: Random, index: int, vendor: str, taken: set[str]) -> Guest:
    """One guest, all of it drawn from `rng` (so from the seed)."""
    device, oui, user_agent = rng.choice(DEVICES)
    mac = mac_for(rng, oui)
    while mac in taken:
        mac = mac_for(rng, oui)
    taken.add(mac)
    country, prefix, city = rng.choice(COUNTRIES)
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    # Most guests stay anonymous; some sign in with a phone, an e-mail or both.
    has_phone = rng.random() < 0.35
    has_email = rng.random() < 0.4
    named = has_email and rng.random() < 0.6
    email = f"{first}.{last}{index}@example.com".lower() if has_email else None
    return Guest(
        index=index,
        vendor=vendor,
        mac=mac,
        first_name=first if named else None,
        last_name=last if named else None,
        email=email,
        phone=f"{prefix}{rng.randrange(10**6, 10**7)}" if has_phone else None,
        country=country,
        city=city,
        username=f"{first.lower()}{index}" if rng.random() < 0.25 else None,
        device=device,
        user_agent=user_agent,
        ad_user=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        guest_token=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        birthdate=(
            f"{rng.randrange(1950, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            if named and rng.random() < 0.5
            else None
        ),
        unsubscribed=rng.random() < 0.1,
    )


def seeded(seed: int, stream: str) -> Random:
    """An independent random stream of the world, fixed by the seed.

    One stream per purpose (population, hotspots, activity...) so adding
    draws to one does not change what another produces.
    """
    return Random(f"{seed}:{stream}")  # noqa: S311 - a simulation, not a secret


def make_population(seed: int, count: int) -> list[Guest]:
    """`count` guests, alternating between the two vendors with guests."""
    rng = seeded(seed, "population")
    taken: set[str] = set()
    return [
        make_guest(rng, i, GUEST_VENDORS[i % len(GUEST_VENDORS)], taken)
        for i in range(count)
    ]
