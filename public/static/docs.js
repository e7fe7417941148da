// Starts Swagger UI on /docs. A file rather than an inline script, so the page keeps the site's strict CSP.
(function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ dom_id: '#swagger-ui', url: root.getAttribute('data-spec-url'), deepLinking: true });
})();
