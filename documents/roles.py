"""Documents roles (groups synced after every migrate by ``portal.roles``)."""

CLERKS = "Cán bộ văn thư"
MODERATORS = "Người duyệt góp ý dự thảo"

_HISTORY = [
    "documents.view_historicaldocument",
    "documents.view_historicaldocumentfile",
    "documents.view_historicaldocumentrelation",
    "documents.view_historicaldraft",
    "documents.view_historicaldocumenttype",
    "documents.view_historicalissuer",
    "documents.view_historicalfield",
    "documents.view_historicaldraftcomment",  # who published or rejected a comment, and why
]

ROLES = {
    # The registry and the drafts; comments are read, never moderated, by clerks.
    CLERKS: [
        *_HISTORY,
        "documents.view_documenttype",
        "documents.add_documenttype",
        "documents.change_documenttype",
        "documents.view_issuer",
        "documents.add_issuer",
        "documents.change_issuer",
        "documents.view_field",
        "documents.add_field",
        "documents.change_field",
        "documents.view_document",
        "documents.add_document",
        "documents.change_document",
        "documents.delete_document",
        "documents.view_documentfile",
        "documents.add_documentfile",
        "documents.change_documentfile",
        "documents.delete_documentfile",
        "documents.view_documentrelation",
        "documents.add_documentrelation",
        "documents.change_documentrelation",
        "documents.delete_documentrelation",
        "documents.view_draft",
        "documents.add_draft",
        "documents.change_draft",
        "documents.view_draftcomment",
        # Articles and commendation decisions citing a document are picked from lists.
        "articles.view_article",
        "awards.view_decision",
    ],
    MODERATORS: [
        "documents.view_draft",
        "documents.view_draftcomment",
        "documents.change_draftcomment",
        "documents.moderate_draftcomment",
        "documents.view_historicaldraftcomment",
    ],
}
