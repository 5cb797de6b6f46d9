"""Entry point: ``flask --app app run``."""
from tracker import create_app

app = create_app()
