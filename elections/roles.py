ELECTION_STAFF = "Cán bộ bầu cử"

_MODELS = [
    "election",
    "contest",
    "body",
    "person",
    "membership",
    "electoralunit",
    "pollingarea",
    "turnoutsummary",
    "candidate",
    "unitresult",
]

ROLES = {
    ELECTION_STAFF: [
        *(
            f"elections.{action}_{model}"
            for model in _MODELS
            for action in ("view", "add", "change", "delete")
        ),
        # Portraits of members come from the portal's validated image library.
        "articles.view_image",
        "articles.add_image",
    ],
}
