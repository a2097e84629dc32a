"""Query budgets shared by the public-page tests: one number, raised in one place with a reason.

A public page renders with at most this many queries whatever its content (tests check also
that the count does not grow with content). The home page is the largest: session-free
request, generation check, menu categories, featured and latest articles, articles per
category, one query for each section block (documents, schedule, questions), and the
footer's contact record and agency links (cached; these tests measure a cold cache), and,
for the cached template fragments (menu, home news, election results), the generation and the
next scheduled change (one query per model with a schedule: articles, documents, drafts under
consultation; once per content change in production, cold here).
"""

PUBLIC_PAGE_QUERIES = 15
