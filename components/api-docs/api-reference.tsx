"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

// Swagger UI from swagger-ui-dist's prebuilt bundle, loaded in the browser only. Not
// swagger-ui-react: Turbopack re-bundles its dependencies and breaks one of them at run time
// ("refract is not a function", vercel/next.js#86507), leaving the operations spinning. The
// prebuilt bundle carries its own copy of its dependencies, so nothing is re-bundled. It sets its
// inline styles through the DOM (allowed by the page's style-src), fetches only the document
// (same origin: connect-src 'self') and loads no fonts or scripts from elsewhere.

/** The interactive reference of the OpenAPI document at `url`. */
export function ApiReference({ url }: { url: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !container.current) return;
        SwaggerUIBundle({
          domNode: container.current,
          url,
          docExpansion: "list",
          defaultModelsExpandDepth: 0,
          deepLinking: true,
          displayOperationId: true,
          tryItOutEnabled: false,
          persistAuthorization: false,
          // The validator badge would call validator.swagger.io: never (the app works offline).
          validatorUrl: null,
        });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    <div className="api-reference rounded-lg border border-slate-200 bg-white">
      {failed && <p className="p-4 text-sm text-red-700">The API reference could not be loaded. The OpenAPI document is at {url}.</p>}
      <div ref={container} data-testid="api-reference" />
    </div>
  );
}
