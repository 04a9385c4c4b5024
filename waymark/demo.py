"""Demo organisations and accounts for `make run`: two fictional areas, one per nation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from waymark.db.models import Organisation, User
from waymark.db.session import make_engine, make_sessionmaker, transaction
from waymark.demo_advocacy import seed_advocates
from waymark.security.passwords import hash_password
from waymark.settings import get_settings

DEMO_PASSWORD = "waymark-demo-2026"


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    agency_kind: str
    area: str
    receives_referrals: bool = False


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    org: str


ORGANISATIONS = [
    DemoOrg(
        "northmoor-csc",
        "Northmoor Children's Social Care",
        "children_social_care",
        "northmoor",
        receives_referrals=True,
    ),
    DemoOrg("northmoor-maternity", "Northmoor Maternity Service", "maternity", "northmoor"),
    DemoOrg(
        "northmoor-recovery", "Northmoor Drug and Alcohol Service", "drug_treatment", "northmoor"
    ),
    DemoOrg("northmoor-advocacy", "Northmoor Independent Advocacy", "advocacy", "northmoor"),
    DemoOrg(
        "northmoor-safeguarding",
        "Northmoor Safeguarding Partnership",
        "children_social_care",
        "northmoor",
    ),
    DemoOrg(
        "glenbrae-sw",
        "Glenbrae Children and Families Social Work",
        "children_social_care",
        "glenbrae",
        receives_referrals=True,
    ),
    DemoOrg("glenbrae-maternity", "Glenbrae Maternity Service", "maternity", "glenbrae"),
    DemoOrg("glenbrae-advocacy", "Glenbrae Advocacy Project", "advocacy", "glenbrae"),
    # Scotland's IRDs and child protection planning meetings need the police (quorum).
    DemoOrg("glenbrae-police", "Police Scotland, Glenbrae", "police", "glenbrae"),
    DemoOrg(
        "glenbrae-safeguarding",
        "Glenbrae Child Protection Committee",
        "children_social_care",
        "glenbrae",
    ),
]

USERS = [
    DemoUser("sam.social", "Sam Okafor", "social_worker", "northmoor-csc"),
    # A second social worker, so a mother's named worker need not be her baby's social worker.
    DemoUser("ola.social", "Ola Adeyemi", "social_worker", "northmoor-csc"),
    DemoUser("mia.midwife", "Mia Hughes", "practitioner", "northmoor-maternity"),
    DemoUser("dev.drugs", "Dev Patel", "practitioner", "northmoor-recovery"),
    DemoUser("ava.advocate", "Ava Lewis", "advocate", "northmoor-advocacy"),
    DemoUser("lee.lead", "Lee Morgan", "safeguarding_lead", "northmoor-safeguarding"),
    DemoUser("ada.admin", "Ada Brown", "admin", "northmoor-csc"),
    DemoUser("iona.social", "Iona MacLeod", "social_worker", "glenbrae-sw"),
    DemoUser("ewan.midwife", "Ewan Stewart", "practitioner", "glenbrae-maternity"),
    DemoUser("kirsty.advocate", "Kirsty Reid", "advocate", "glenbrae-advocacy"),
    DemoUser("fiona.lead", "Fiona Grant", "safeguarding_lead", "glenbrae-safeguarding"),
]


async def seed_demo_data(database_url: str | None = None) -> bool:
    """Add the demo organisations and users once; False when they are already there."""
    engine = make_engine(database_url or get_settings().sqlalchemy_url)
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            if await session.scalar(select(Organisation.id).limit(1)) is not None:
                return False
            orgs = {
                o.code: Organisation(
                    code=o.code,
                    name=o.name,
                    agency_kind=o.agency_kind,
                    area_code=o.area,
                    receives_referrals=o.receives_referrals,
                )
                for o in ORGANISATIONS
            }
            session.add_all(orgs.values())
            await session.flush()
            password = hash_password(DEMO_PASSWORD)
            session.add_all(
                User(
                    username=u.username,
                    display_name=u.display_name,
                    role=u.role,
                    organisation_id=orgs[u.org].id,
                    password_hash=password,
                )
                for u in USERS
            )
            await seed_advocates(session, password)
        return True
    finally:
        await engine.dispose()
