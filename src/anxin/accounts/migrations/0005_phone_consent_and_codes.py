"""Sign-up's phone, consent and codes. An account's phone becomes unique: where older data gave one number
to several accounts, the oldest account keeps it and the others' is cleared, so the index can be built."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def clear_shared_phones(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    seen: set[str] = set()
    for pk, phone in User.objects.exclude(phone="").order_by("pk").values_list("pk", "phone"):
        if phone in seen:
            User.objects.filter(pk=pk).update(phone="")
        seen.add(phone)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auth_attempt"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("catalog", "0003_product_shipping_template"),
    ]

    operations = [
        migrations.CreateModel(
            name="Consent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document", models.CharField(choices=[("terms", "用户协议"), ("privacy", "隐私政策")], max_length=8)),
                ("version", models.CharField(max_length=16)),
                ("at", models.DateTimeField()),
                ("client", models.CharField(blank=True, max_length=45)),
            ],
        ),
        migrations.CreateModel(
            name="PhoneCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(db_index=True, max_length=20)),
                ("code_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("wrong_guesses", models.PositiveSmallIntegerField(default=0)),
                ("used_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="user",
            name="phone_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="authattempt",
            name="kind",
            field=models.CharField(
                choices=[("login", "登录"), ("sign_up", "注册"), ("sms_code", "短信验证码")], max_length=8
            ),
        ),
        migrations.RunPython(clear_shared_phones, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone", ""), _negated=True), fields=("phone",), name="user_phone_unique"
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="consents", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.UniqueConstraint(fields=("user", "document", "version"), name="one_consent_per_version"),
        ),
    ]
