import { Request, Response, Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { openApiDocument } from './openapi';

/** Generated on first use, once per process. */
let document: ReturnType<typeof openApiDocument> | undefined;

/** `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (Swagger UI, which loads it). */
export function docsRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req: Request, res: Response) => {
    document ??= openApiDocument();
    res.status(200).json(document);
  });
  router.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'govfabric API',
      swaggerOptions: { url: '/openapi.json' },
    }),
  );
  return router;
}
