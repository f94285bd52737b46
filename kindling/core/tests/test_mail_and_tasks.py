import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def task_email(settings):
    settings.EMAIL_BACKEND = "kindling.core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_sending_mail_queues_a_task_instead_of_sending(task_email):
    send_mail("Hello", "Body", "from@example.org", ["to@example.org"])
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1


def test_the_worker_delivers_queued_mail_with_its_html_part(task_email):
    message = EmailMultiAlternatives("Hola", "Texto", "from@example.org", ["to@example.org"])
    message.attach_alternative("<p>Texto</p>", "text/html")
    message.send()
    call_command("run_worker", "--batch")
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert delivered.subject == "Hola"
    assert delivered.to == ["to@example.org"]
    assert delivered.alternatives[0][0] == "<p>Texto</p>"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_mail_with_no_recipients_queues_nothing(task_email):
    EmailMultiAlternatives("Nobody", "Body", "from@example.org", []).send()
    assert DBTaskResult.objects.count() == 0
