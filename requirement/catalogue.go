package requirement

// Sources cited by the catalogue. The seed docs are the Microsoft Graph reference page of the action
// (current revision in Russian, the pre-2021-04-22 revision in Chinese); see ../shared/notes/graph-contract.md.
var (
	srcDoc = Source{Doc: "Graph reference: remoteAssistancePartner disconnect (seed docs)",
		URL: "https://learn.microsoft.com/graph/api/intune-remoteassistance-remoteassistancepartner-disconnect?view=graph-rest-1.0"}
	srcDocPerms = Source{Doc: "Graph reference: disconnect, Permissions table (seed docs; revision-dependent)",
		URL: "https://learn.microsoft.com/graph/api/intune-remoteassistance-remoteassistancepartner-disconnect?view=graph-rest-1.0#permissions"}
	srcRFC9110NoContent = Source{Doc: "RFC 9110 §15.3.5 (204 No Content) and §8.6 (Content-Length)",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.5"}
	srcODataActions = Source{Doc: "OData 4.01 Part 1 §11.5.4.1 (invoking an action)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcODataUnknownParam = Source{Doc: "OData 4.01 Part 1 §11.5.4.1; ODL ODataParameterReaderCore_ParameterNameNotInMetadata",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcGraphErrors = Source{Doc: "Microsoft Graph error responses (errors.md)",
		URL: "https://learn.microsoft.com/graph/errors"}
	srcRFC9110Method = Source{Doc: "RFC 9110 §15.5.6 (405 Method Not Allowed, Allow header)",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6"}
	srcRFC9110Media = Source{Doc: "RFC 9110 §15.5.16 (415 Unsupported Media Type); Graph errors.md",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"}
	srcCallAPI = Source{Doc: "Microsoft Graph: Use the API (call-api.md), case sensitivity",
		URL: "https://learn.microsoft.com/graph/use-the-api"}
	srcODataQualified = Source{Doc: "OData 4.01 Part 1 §11.5.4.1 (namespace-qualified action name)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcAuth = Source{Doc: "Graph reference: disconnect, Request headers (Authorization: Bearer, Required); resolve-auth-errors.md",
		URL: "https://learn.microsoft.com/graph/resolve-auth-errors"}
	srcChallenge = Source{Doc: "RFC 9110 §11.6.1 (WWW-Authenticate on 401); RFC 6750 §3",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1"}
	srcForbidden = Source{Doc: "Graph reference: disconnect, Permissions table; Graph API guidelines (403 on insufficient permissions)",
		URL: "https://learn.microsoft.com/graph/resolve-auth-errors"}
	srcPermissionsJSON = Source{Doc: "microsoft-graph-devx-content permissions/new/permissions.json (metadata, not the doc page)",
		URL: "https://github.com/microsoftgraph/microsoft-graph-devx-content"}
	srcRequestID = Source{Doc: "Microsoft Graph best practices (request-id, client-request-id)",
		URL: "https://learn.microsoft.com/graph/best-practices-concept"}
	srcSchemeCase = Source{Doc: "RFC 9110 §11.1 (the auth-scheme is a case-insensitive token); RFC 6750 §2.1 (credentials = \"Bearer\" 1*SP b64token)",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.1"}
	srcEffect = Source{Doc: "the operation's description and its entity's resource page, as declared in the description's x-graphconform-effect (e.g. onboardingStatus: notOnboarded is \"no active TeamViewer connector configured or active\")",
		URL: "https://learn.microsoft.com/graph/api/resources/intune-remoteassistance-remoteassistancepartner?view=graph-rest-1.0"}
)

// catalogue is every requirement graphconform checks. IDs are stable: never renumber, only add.
var catalogue = []Requirement{
	{ID: "DISC-001", Level: Must, Area: AreaResponse, Source: srcDoc,
		Title: "POST with an allowed persona and an existing id returns 204 No Content"},
	{ID: "DISC-002", Level: Must, Area: AreaResponse, Source: srcRFC9110NoContent,
		Title: "the 204 carries no content: no body bytes on the wire, no non-zero Content-Length, no Transfer-Encoding"},
	{ID: "DISC-003", Level: Must, Area: AreaBody, Source: srcDoc,
		Title: "a request with no body and no Content-Type is accepted"},
	{ID: "DISC-004", Level: Should, Area: AreaBody, Source: srcODataActions,
		Title: "a body of {} with Content-Type: application/json is accepted (204)"},
	{ID: "DISC-005", Level: Should, Area: AreaBody, Source: srcODataUnknownParam,
		Title: "a JSON body with a parameter the action does not declare is refused with 400"},
	{ID: "DISC-006", Level: Should, Area: AreaHeaders, Source: srcRFC9110Media,
		Title: "a non-empty body with an unsupported Content-Type is refused with 415"},
	{ID: "DISC-007", Level: Must, Area: AreaMethod, Source: srcGraphErrors,
		Title: "GET, PUT, PATCH and DELETE on the action never answer 2xx"},
	{ID: "DISC-007.1", Level: Should, Area: AreaMethod, Source: srcRFC9110Method,
		Title: "GET, PUT, PATCH and DELETE on the action answer 405 with an Allow header listing POST"},
	{ID: "DISC-008", Level: Should, Area: AreaPath, Source: srcGraphErrors,
		Title: "an unknown id answers 404"},
	{ID: "DISC-009", Level: Should, Area: AreaPath, Source: srcCallAPI,
		Title: "path segment names match case-insensitively; the key matches case-sensitively"},
	{ID: "DISC-010", Level: Should, Area: AreaPath, Source: srcODataQualified,
		Title: "the namespace-qualified action segment (microsoft.graph.disconnect) behaves like the short one"},
	{ID: "AUTH-001", Level: Must, Area: AreaAuth, Source: srcAuth,
		Title: "a missing, non-Bearer, malformed, unsigned, badly signed, expired or not-yet-valid token, or one for another audience or issuer, is refused with 401 (never 2xx, never 403)"},
	{ID: "AUTH-002", Level: Must, Area: AreaAuth, Source: srcChallenge,
		Title: "every 401 carries a WWW-Authenticate challenge with the Bearer scheme"},
	{ID: "AUTH-003", Level: Must, Area: AreaAuth, Source: srcSchemeCase,
		Title: "the Bearer scheme name is matched case-insensitively: a valid token sent as bearer or BEARER is accepted"},
	{ID: "PERM-001", Level: Must, Area: AreaPermissions, Source: srcDocPerms,
		Title: "a delegated work/school persona holding an accepted permission gets 204"},
	{ID: "PERM-002", Level: Must, Area: AreaPermissions, Source: srcDocPerms,
		Title: "an application persona holding an accepted permission gets 204 where the revision supports application permissions, and is refused where it does not"},
	{ID: "PERM-003", Level: Must, Area: AreaPermissions, Source: srcForbidden,
		Title: "a persona without an accepted permission is refused with 403"},
	{ID: "PERM-004", Level: Must, Area: AreaPermissions, Source: srcDocPerms,
		Title: "a personal Microsoft account persona is refused (4xx, never 2xx)"},
	{ID: "PERM-004.1", Level: Should, Area: AreaPermissions, Source: srcAuth,
		Title: "a personal Microsoft account persona is refused with 401 or 403"},
	{ID: "PERM-005", Level: May, Area: AreaPermissions, Source: srcPermissionsJSON,
		Title: "a higher-privileged permission listed only in Microsoft's permissions metadata is accepted too"},
	{ID: "ERR-001", Level: Must, Area: AreaErrors, Source: srcGraphErrors,
		Title: "every 4xx/5xx is application/json with an error object holding string code and string message"},
	{ID: "HDR-001", Level: Should, Area: AreaHeaders, Source: srcRequestID,
		Title: "every response carries request-id, and a client-request-id sent by the client is echoed"},
	{ID: "EFF-001", Level: Should, Area: AreaEffect, Source: srcEffect,
		Title: "the documented effect of a successful call is observable: afterwards a GET of its entity shows the state the description declares"},
}
