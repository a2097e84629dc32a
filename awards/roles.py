"""Commendation roles (groups synced after every migrate by ``portal.roles``)."""

STAFF = "Cán bộ thi đua khen thưởng"
AUDITORS = "Kiểm toán viên"

_VIEW = [
    "awards.view_authority",
    "awards.view_awardform",
    "awards.view_decision",
    "awards.view_recipient",
    "awards.view_exportlog",
    "awards.view_historicaldecision",
    "awards.view_historicalrecipient",
]

ROLES = {
    STAFF: [
        *_VIEW,
        "awards.add_authority",
        "awards.change_authority",
        "awards.add_awardform",
        "awards.change_awardform",
        "awards.add_decision",
        "awards.change_decision",
        "awards.delete_decision",
        "awards.add_recipient",
        "awards.change_recipient",
        "awards.delete_recipient",
        "awards.export_awards",
        # The related article is picked from a list.
        "articles.view_article",
    ],
    # Auditors read everything, including the history, and export; they change nothing.
    AUDITORS: [*_VIEW, "awards.export_awards"],
}
