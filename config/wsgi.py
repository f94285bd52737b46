import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Keep the loaded application out of later garbage collections (kindling/core/startup.py).
from kindling.core.startup import freeze_loaded_objects  # noqa: E402

freeze_loaded_objects()
