from .access_log import PersonalDataAccess
from .accounts import StaffMembership, User
from .agencies import Agency, Desk
from .calendar import CalendarOverride
from .notifications import NationalSyncRecord, Notification, NotificationChannel, NotificationState, SmsMessage
from .ops import WorkerHeartbeat
from .partners import PartnerAccess, WebhookSubscription
from .teams import CommunityTeam

__all__ = [
    "PersonalDataAccess",
    "Agency",
    "CalendarOverride",
    "CommunityTeam",
    "Desk",
    "NationalSyncRecord",
    "Notification",
    "PartnerAccess",
    "NotificationChannel",
    "NotificationState",
    "SmsMessage",
    "StaffMembership",
    "User",
    "WebhookSubscription",
    "WorkerHeartbeat",
]
