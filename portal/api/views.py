from django.shortcuts import render


def docs(request):
    """The API's reference, drawn by the vendored Swagger UI from /api/schema/ (no other host, no
    inline script: the page's script is static/js/api-docs.js)."""
    return render(request, "api/docs.html")
