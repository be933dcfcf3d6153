// The part of swagger-ui-dist's prebuilt bundle the API reference page calls (the package
// ships no types).
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  type Options = {
    domNode: HTMLElement;
    url: string;
    validatorUrl: string | null;
    deepLinking?: boolean;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
    filter?: boolean;
    withCredentials?: boolean;
    onComplete?: () => void;
  };
  const SwaggerUIBundle: (options: Options) => unknown;
  export default SwaggerUIBundle;
}
