"""Work-schedule roles (groups synced after every migrate by ``portal.roles``)."""

STAFF = "Cán bộ lịch công tác"

ROLES = {
    STAFF: [
        "schedule.view_entry",
        "schedule.add_entry",
        "schedule.change_entry",
        "schedule.delete_entry",
        "schedule.view_historicalentry",
    ],
}
