WRITERS = "Biên tập viên"
PUBLISHERS = "Người duyệt tin"

_WRITE = [
    "articles.view_category",
    "articles.view_article",
    "articles.add_article",
    "articles.change_article",
    "articles.view_articlephoto",
    "articles.add_articlephoto",
    "articles.change_articlephoto",
    "articles.delete_articlephoto",
    "articles.view_image",
    "articles.add_image",
    "articles.change_image",
]

ROLES = {
    WRITERS: _WRITE,
    PUBLISHERS: [
        *_WRITE,
        "articles.publish_article",
        "articles.delete_article",
        "articles.add_category",
        "articles.change_category",
        "articles.delete_image",
    ],
}
