"""Hỏi đáp roles (groups synced after every migrate by ``portal.roles``)."""

ANSWERERS = "Cán bộ trả lời hỏi đáp"
PUBLISHERS = "Người duyệt hỏi đáp"

_ANSWER = [
    "questions.view_question",
    "questions.change_question",
    "questions.view_historicalquestion",
    "questions.view_topic",
    # Questions are routed to a unit picked from the organisation's list.
    "organisation.view_unit",
]

ROLES = {
    ANSWERERS: _ANSWER,
    PUBLISHERS: [
        *_ANSWER,
        "questions.publish_question",
        "questions.delete_question",
        "questions.add_topic",
        "questions.change_topic",
        "questions.delete_topic",
    ],
}
