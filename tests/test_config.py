"""Configuration from the environment: named CASEFLOW_* variables, and CASEFLOW_<KEY> for any other setting."""
from caseflow.config import build_config


def test_any_setting_comes_from_a_prefixed_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFLOW_MAIL_SERVER", "smtp.ldld.vn")
    monkeypatch.setenv("CASEFLOW_MAIL_PORT", "587")
    monkeypatch.setenv("CASEFLOW_DEADLINE_LEAD_DAYS", "[5, 2]")
    config = build_config(str(tmp_path))
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["DEADLINE_LEAD_DAYS"]) == ("smtp.ldld.vn", 587, [5, 2])


def test_named_variables_keep_their_meaning_and_explicit_settings_win(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("CASEFLOW_MAIL_SERVER", "from-env")
    config = build_config(str(tmp_path), {"MAIL_SERVER": "explicit"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db" and "DATABASE_URL" not in config
    assert config["MAIL_SERVER"] == "explicit"
