// What every generator's flows share: the environment they run in and the operations each flow must go
// through (operationId and HTTP status, as test/sdk/conformance.ts records them), whatever the generator.

/** scripts/openapi.ts's DOCUMENT_NAMES (the test checks they agree), kept here so that typechecking the
 * flows does not load the server. */
export const DOCUMENTS = ['admin', 'jotform', 'razuna', 'livestorm', 'devtodev', 'limbo'] as const;
export type DocumentName = (typeof DOCUMENTS)[number];
/** The listening server's origin and the admin token that sets up each flow's tenant. */
export type Env = { origin: string; adminToken: string };
/** One flow per document; each answers the operations its dialect client went through. */
export type Flows = Record<DocumentName, (env: Env) => Promise<string[]>>;

export const EXPECTED_OPERATIONS: Record<DocumentName, string[]> = {
  admin: ['createWorkspace 201', 'createUser 201', 'setMember 200', 'createApiKey 201', 'listWorkspaces 200', 'upsertResources 200', 'listEvents 200', 'exportWorkspace 200', 'createUser 409', 'deleteUser 204'],
  jotform: ['createLabel 200', 'getLabel 200', 'createLabel 200', 'addLabelResources 200', 'getLabelResources 200', 'getUserLabels 200', 'deleteLabel 200', 'getLabel 401'],
  razuna: ['call 200', 'call 200', 'call 200', 'call 200', 'call 200', 'callGet 200'],
  livestorm: ['createLabel 201', 'listLabels 200', 'assignLabels 200', 'listLibrary 200', 'deleteLabel 200', 'createLabel 400'],
  devtodev: ['createLabels 200', 'getLabels 200', 'editLabel 200', 'getCategories 200', 'deleteLabels 200', 'editLabel 404'],
  limbo: ['createLabel 201', 'getLabel 200', 'addLabelProducts 204', 'getLabelProducts 200', 'listLabels 200', 'deleteLabel 204', 'getLabel 404'],
};
