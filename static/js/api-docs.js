// Draws the API documentation page with the vendored Swagger UI; the document URL comes from a data attribute.
(function () {
  "use strict";
  var container = document.getElementById("api-docs");
  if (!container || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: container.getAttribute("data-spec-url"),
    domNode: container,
    // No deep links: Swagger UI draws each one as a link inside the operation's expand button,
    // a control nested in a control that screen readers and keyboards cannot use.
    deepLinking: false,
    // Calls from "Try it out" carry the session cookie; writes also need the CSRF token.
    requestInterceptor: function (request) {
      if (request.method !== "GET") {
        request.headers["X-CSRFToken"] = container.getAttribute("data-csrf-token");
      }
      return request;
    },
  });
})();
