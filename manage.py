#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if "DJANGO_SECRET_KEY" not in os.environ and "DJANGO_DEBUG" not in os.environ:
        # A developer's command line with nothing configured: development settings, said out
        # loud. Servers run through portal/wsgi.py, which never falls back; DJANGO_DEBUG=0
        # here keeps the strict start-up check for commands too.
        os.environ["DJANGO_DEBUG"] = "1"
        print(
            "manage.py: DJANGO_SECRET_KEY is not set, using development settings "
            "(DJANGO_DEBUG=1, SQLite unless DATABASE_URL is set).",
            file=sys.stderr,
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
