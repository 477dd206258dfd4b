"""What the benchmarks share: the plain Faker row loop they are compared with, and peak memory."""

from __future__ import annotations

import random
import resource
import time
from pathlib import Path

from faker import Faker

USERS_PRESET = Path(__file__).with_name("users.toml")


def faker_users(n: int, seed: int = 1) -> list[dict]:
    """The users table the way it is written by hand today: one Faker call per value."""
    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    rows, seen = [], set()
    for _ in range(n):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}@example.com".lower()
        k = 1
        while email in seen:
            k += 1
            email = f"{first}.{last}{k}@example.com".lower()
        seen.add(email)
        rows.append(
            {
                "id": fake.uuid4(),
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": fake.phone_number(),
                "date_of_birth": fake.date_of_birth(minimum_age=18, maximum_age=80),
                "age": min(90, max(18, round(rng.gauss(35, 12)))),
                "city": fake.city(),
                "state": fake.state(),
                "role": rng.choices(["user", "premium", "admin"], [70, 20, 10])[0],
                "is_active": rng.random() < 0.9,
                "created_at": fake.date_time_between(start_date="-2y", end_date="now"),
                "price": round(rng.uniform(9.99, 999.99), 2),
            }
        )
    return rows


def faker_rate(n: int) -> float:
    started = time.perf_counter()
    faker_users(n)
    return n / (time.perf_counter() - started)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
