"""Flask extensions, created unbound here and bound in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from caseflow.core.models.base import Base
from caseflow.lazy_migrate import LazyMigrate

db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: the one rate limiter (per client address); storage: Redis when CASEFLOW_REDIS_URL is set, else this
#: process's memory (config.build_config). No default limits: each limited route says its own.
limiter = Limiter(key_func=get_remote_address)
