import os
import subprocess
import sys

import pytest

SETTINGS_IMPORT = "import portal.settings"


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_IMPORT], env=clean, capture_output=True, text=True
    )


def test_missing_secret_key_stops_start_up():
    result = run_settings(DJANGO_ALLOWED_HOSTS="portal.example.vn")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_missing_hosts_stop_start_up():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_debug_runs_without_secrets():
    assert run_settings(DJANGO_DEBUG="1").returncode == 0


def test_production_settings_start():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="portal.example.vn")
    assert result.returncode == 0, result.stderr


def test_redis_url_selects_redis_cache():
    code = "import portal.settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/1")
    result = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True)
    assert "RedisCache" in result.stdout
    assert "cached_db" in result.stdout


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_deploy_check_is_clean():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(
        DJANGO_SECRET_KEY="k" * 64 + "-Zx9!",
        DJANGO_ALLOWED_HOSTS="portal.example.vn",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_admin_relaxes_csp_only_on_editor_pages(client, make_user):
    client.force_login(make_user("csp", superuser=True))
    changelist = client.get("/admin/articles/article/")["Content-Security-Policy"]
    add_page = client.get("/admin/articles/article/add/")["Content-Security-Policy"]
    assert "script-src 'self';" in changelist + ";"
    assert "script-src 'self' 'unsafe-inline'" in add_page
    assert "unsafe-inline" not in client.get("/")["Content-Security-Policy"]


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean, capture_output=True, text=True
    )


def test_manage_py_without_configuration_uses_development_settings_and_says_so():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "using development settings" in result.stderr


def test_manage_py_with_debug_off_still_requires_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_wsgi_never_falls_back_to_development_settings():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"], env=clean, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_csp_header_is_built_once_per_kind(client, make_user, monkeypatch):
    import csp.middleware

    calls = []
    real = csp.middleware.build_policy
    monkeypatch.setattr(csp.middleware, "build_policy", lambda **kw: calls.append(1) or real(**kw))
    headers = {client.get(url)["Content-Security-Policy"] for url in ["/", "/tin-tuc/", "/"]}
    assert len(headers) == 1 and "unsafe-inline" not in headers.pop()
    assert len(calls) == 2  # the policy and the (empty) report-only policy, once
    client.force_login(make_user("csp2", superuser=True))
    add_page = client.get("/admin/articles/article/add/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in add_page
    assert (
        "unsafe-inline"
        not in client.get("/admin/articles/article/")["Content-Security-Policy"]
        .split("script-src")[1]
        .split(";")[0]
    )


@pytest.mark.parametrize(
    ("host", "backend"),
    [("", "console.EmailBackend"), ("smtp.example.gov.vn", "smtp.EmailBackend")],
)
def test_mail_goes_to_the_console_until_an_smtp_host_is_set(host, backend):
    code = "import portal.settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.update(DJANGO_DEBUG="1", EMAIL_HOST=host, EMAIL_PORT="465")
    result = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True)
    assert result.stdout.split() == [
        f"django.core.mail.backends.{backend}",
        *([host] if host else []),
        "465",
    ]
