"""Per-app modules found by Django's autodiscovery instead of hand-kept lists.

An app takes part in roles, demo data or the benchmark by having ``<app>/roles.py``
(``ROLES``), ``<app>/demo.py`` (``load``) or ``<app>/bench.py`` (``run``); a list of module
names would go stale (one named a module that did not exist) and miss new apps.
"""

import sys

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


def app_modules(name, *, required):
    """The ``<app>.<name>`` modules of the installed apps, in ``INSTALLED_APPS`` order.

    Only modules that define ``required`` count, so a library's unrelated module of the same
    name is left out.
    """
    autodiscover_modules(name)
    found = []
    for app_config in apps.get_app_configs():
        module = sys.modules.get(f"{app_config.name}.{name}")
        if module is not None and hasattr(module, required):
            found.append(module)
    return found
