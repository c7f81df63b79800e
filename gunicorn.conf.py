"""gunicorn settings read from the project folder: the access log names the path without its query string
(a search for a person's name stays out of the log; caseflow/web/accesslog.py)."""
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
