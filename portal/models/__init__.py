from .accounts import StaffMembership, User
from .agencies import Agency, Desk
from .calendar import CalendarOverride
from .ops import WorkerHeartbeat

__all__ = ["Agency", "CalendarOverride", "Desk", "StaffMembership", "User", "WorkerHeartbeat"]
