// The API explorer: Swagger UI over this server's own OpenAPI document. "Authorize" takes a
// bearer token; "Try it out" then calls this server with it.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: false,
  validatorUrl: null
});
