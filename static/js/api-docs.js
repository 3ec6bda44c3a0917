// The API reference on /api/docs/: Swagger UI (static/vendor/swagger-ui) reading the schema URL the
// page names, with "Try it out" sending the page's session and its CSRF token (the cookie is HttpOnly).
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = root.getAttribute("data-csrf");
      return request;
    },
  });
})();
