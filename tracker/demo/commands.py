"""``flask demo``."""
import click


@click.command("demo")
def demo_command():
    """Chuẩn bị dữ liệu mẫu."""
