"""A citizen's app token (django-rest-knox: "Authorization: Token <token>", stored hashed, 90 days),
made on the "Ứng dụng di động" page. It stands for the person on the API as her session does, without
the CSRF token. Staff never use one: their API use asks for the session with its second factor, so a
token whose owner has become staff is refused."""

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class PersonalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")  # knox decodes it unguarded: a header of other bytes was a 500
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("Khóa ứng dụng không hợp lệ."), code="authentication_failed") from error
        return super().authenticate_credentials(token)

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user.memberships.exists():
            raise AuthenticationFailed(
                _("Cán bộ dùng API bằng phiên đăng nhập có xác thực hai lớp, không bằng khóa ứng dụng."),
                code="staff_token",
            )
        return user, token
