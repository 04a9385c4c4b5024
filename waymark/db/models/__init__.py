"""All tables, imported here so Alembic and the app see one metadata."""

from waymark.db.models.advocacy import AdvocacyOffer, AdvocateConflict, AdvocateProfile
from waymark.db.models.audit import AuditEvent
from waymark.db.models.breaches import Breach as Breach
from waymark.db.models.break_glass import BreakGlass as BreakGlass
from waymark.db.models.delivery import CalendarFeed, ContactRequest, Delivery
from waymark.db.models.duties import Duty as Duty
from waymark.db.models.identity import (
    OnboardedCase,
    PossibleMatch,
    RecordMerge,
    Search,
    Transfer,
    WomanIdentifier,
)
from waymark.db.models.meetings import (
    AgencyReport,
    Conference,
    Document,
    Meeting,
    MeetingFeedback,
    Notice,
)
from waymark.db.models.people import AuthSession, Organisation, User
from waymark.db.models.support import Baby, SupportContact, SupportEpisode, SupportPlanItem
from waymark.db.models.women import (
    AdvocateAllocation,
    Involvement,
    Referral,
    TimelineEvent,
    Woman,
)
from waymark.db.models.work import Deadline, Task

__all__ = [
    "AdvocacyOffer",
    "AdvocateConflict",
    "AdvocateProfile",
    "CalendarFeed",
    "ContactRequest",
    "Delivery",
    "Baby",
    "SupportContact",
    "SupportEpisode",
    "SupportPlanItem",
    "AdvocateAllocation",
    "AgencyReport",
    "Conference",
    "Deadline",
    "Document",
    "Meeting",
    "MeetingFeedback",
    "Notice",
    "Task",
    "AuditEvent",
    "AuthSession",
    "Involvement",
    "Organisation",
    "Referral",
    "TimelineEvent",
    "User",
    "Woman",
    "WomanIdentifier",
    "OnboardedCase",
    "PossibleMatch",
    "RecordMerge",
    "Search",
    "Transfer",
]
