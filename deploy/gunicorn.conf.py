"""gunicorn settings for icare tracker: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

gunicorn sits behind nginx (deploy/nginx/) and must never face the internet itself: it gives each
connection a thread for as long as the request takes to arrive, so a few clients that send slowly
would hold every thread. nginx reads each request whole before it passes it on, so gunicorn only
sees complete requests from nginx on loopback. Options given on the command line win over these.
"""

bind = "127.0.0.1:8000"  # loopback only: nginx on the same host is gunicorn's only client
workers = 4  # about two per core
threads = 4  # so a request waiting on the database or a stream does not hold a whole process
forwarded_allow_ips = "127.0.0.1"  # trust X-Forwarded-* from nginx only
timeout = 60  # a worker that stops answering its master is restarted
graceful_timeout = 30  # on restart, requests in progress get this long to finish
accesslog = "-"


def post_worker_init(worker):
    """Each worker loads the health-information guard before it takes requests.

    Every feedback is checked when it is stored; loading the guard's recognizers and vocabulary
    takes about a second (several the first time it is built), which would otherwise fall on the
    first patient each worker serves.
    """
    from tracker import phi

    phi.warm()
