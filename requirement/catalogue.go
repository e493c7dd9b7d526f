package requirement

// OperationPage is the Doc of a source that is each operation's own Graph reference page; its
// URL is OperationPageURL (with a fragment), and the case generator puts the operation's own
// page (its description's externalDocs) and name in their place, so that every verdict cites the
// page of the operation it judged. The exemplar's page is
// https://learn.microsoft.com/graph/api/intune-remoteassistance-remoteassistancepartner-disconnect?view=graph-rest-1.0
// (its current revision and the one before 22 April 2021; see ../shared/notes/graph-contract.md).
const (
	OperationPage    = "the operation's Graph reference page"
	OperationPageURL = "https://learn.microsoft.com/graph/api/overview?view=graph-rest-1.0"
)

// Sources cited by the catalogue, named as their documents are titled, so that a reader can find
// them without knowing this project. URLs are stable: reports link them.
var (
	srcDoc              = Source{Doc: OperationPage, URL: OperationPageURL}
	srcDocPerms         = Source{Doc: OperationPage + ", its Permissions table (which differs between revisions of the page)", URL: OperationPageURL + "#permissions"}
	srcRFC9110NoContent = Source{Doc: "RFC 9110 HTTP Semantics, §15.3.5 204 No Content and §8.6 Content-Length",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.5"}
	srcODataActions = Source{Doc: "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcODataUnknownParam = Source{Doc: "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action (Microsoft's OData library, on which Graph is built, refuses a parameter the operation does not declare)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcGraphErrors = Source{Doc: "Microsoft Graph error responses and resource types",
		URL: "https://learn.microsoft.com/graph/errors"}
	srcRFC9110Method = Source{Doc: "RFC 9110 HTTP Semantics, §15.5.6 405 Method Not Allowed (the Allow header)",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6"}
	srcRFC9110Media = Source{Doc: "RFC 9110 HTTP Semantics, §15.5.16 415 Unsupported Media Type; Microsoft Graph error responses",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"}
	srcCallAPI = Source{Doc: "Use the Microsoft Graph API (what is case-sensitive and what is not)",
		URL: "https://learn.microsoft.com/graph/use-the-api"}
	srcODataQualified = Source{Doc: "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action (the namespace-qualified action name)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcAuth = Source{Doc: "Microsoft Graph reference pages (the Authorization: Bearer request header is required); Resolve Microsoft Graph authorization errors",
		URL: "https://learn.microsoft.com/graph/resolve-auth-errors"}
	srcChallenge = Source{Doc: "RFC 9110 HTTP Semantics, §11.6.1 WWW-Authenticate; RFC 6750 Bearer Token Usage, §3",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1"}
	srcForbidden = Source{Doc: "Resolve Microsoft Graph authorization errors (403 Forbidden: the permissions do not allow the call); Microsoft Graph REST API guidelines",
		URL: "https://learn.microsoft.com/graph/resolve-auth-errors"}
	srcPermissionsJSON = Source{Doc: "Microsoft's Graph permissions metadata (permissions.json in microsoftgraph/microsoft-graph-devx-content), not the reference page",
		URL: "https://github.com/microsoftgraph/microsoft-graph-devx-content"}
	srcRequestID = Source{Doc: "Best practices for working with Microsoft Graph (request-id and client-request-id)",
		URL: "https://learn.microsoft.com/graph/best-practices-concept"}
	srcSchemeCase = Source{Doc: "RFC 9110 HTTP Semantics, §11.1 Authentication Scheme (a case-insensitive token); RFC 6750 Bearer Token Usage, §2.1",
		URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.1"}
	srcODataParams = Source{Doc: "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action (parameters travel in the request body); Microsoft Graph error responses (400 Bad Request)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcODataResult = Source{Doc: "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action, and OData JSON Format 4.01 (the result, a value of the declared return type); the operation's description (its success response schema)",
		URL: "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"}
	srcEffect = Source{Doc: "the operation's description (the effect it declares) and its entity's Graph resource page (e.g. onboardingStatus notOnboarded: \"no active TeamViewer connector configured or active\")",
		URL: "https://learn.microsoft.com/graph/api/resources/intune-remoteassistance-remoteassistancepartner?view=graph-rest-1.0"}
)

// catalogue is every requirement graphconform checks. IDs are stable: never renumber, only add.
var catalogue = []Requirement{
	{ID: "DISC-001", Level: Must, Area: AreaResponse, Source: srcDoc,
		Title: "the documented request, sent by an allowed persona to an existing entity, answers the documented success status"},
	{ID: "DISC-002", Level: Must, Area: AreaResponse, Source: srcRFC9110NoContent,
		Title: "a 204 success carries no content: no body bytes on the wire, no non-zero Content-Length, no Transfer-Encoding"},
	{ID: "DISC-003", Level: Must, Area: AreaBody, Source: srcDoc,
		Title: "an action without parameters accepts a request with no body and no Content-Type"},
	{ID: "DISC-004", Level: Should, Area: AreaBody, Source: srcODataActions,
		Title: "an action without parameters accepts a body of {} with Content-Type: application/json"},
	{ID: "DISC-005", Level: Should, Area: AreaBody, Source: srcODataUnknownParam,
		Title: "an action without parameters refuses a JSON body with a parameter it does not declare with 400"},
	{ID: "DISC-006", Level: Should, Area: AreaHeaders, Source: srcRFC9110Media,
		Title: "an action without parameters refuses a non-empty body with an unsupported Content-Type with 415"},
	{ID: "DISC-007", Level: Must, Area: AreaMethod, Source: srcGraphErrors,
		Title: "a method the operation's path does not declare (of GET, POST, PUT, PATCH, DELETE) never answers 2xx"},
	{ID: "DISC-007.1", Level: Should, Area: AreaMethod, Source: srcRFC9110Method,
		Title: "a method the operation's path does not declare answers 405 with an Allow header listing the operation's method"},
	{ID: "DISC-008", Level: Should, Area: AreaPath, Source: srcGraphErrors,
		Title: "an unknown key of the bound entity answers 404"},
	{ID: "DISC-009", Level: Should, Area: AreaPath, Source: srcCallAPI,
		Title: "path segment names match case-insensitively; the key matches case-sensitively"},
	{ID: "DISC-010", Level: Should, Area: AreaPath, Source: srcODataQualified,
		Title: "the namespace-qualified operation segment (microsoft.graph.<name>) behaves like the short one"},
	{ID: "AUTH-001", Level: Must, Area: AreaAuth, Source: srcAuth,
		Title: "a missing, non-Bearer, malformed, unsigned, badly signed, expired or not-yet-valid token, or one for another audience or issuer, is refused with 401 (never 2xx, never 403)"},
	{ID: "AUTH-002", Level: Must, Area: AreaAuth, Source: srcChallenge,
		Title: "every 401 carries a WWW-Authenticate challenge with the Bearer scheme"},
	{ID: "AUTH-003", Level: Must, Area: AreaAuth, Source: srcSchemeCase,
		Title: "the Bearer scheme name is matched case-insensitively: a valid token sent as bearer or BEARER is accepted"},
	{ID: "PERM-001", Level: Must, Area: AreaPermissions, Source: srcDocPerms,
		Title: "a delegated work/school persona holding an accepted permission gets the documented success"},
	{ID: "PERM-002", Level: Must, Area: AreaPermissions, Source: srcDocPerms,
		Title: "an application persona holding an accepted permission gets the documented success where the revision supports application permissions, and is refused where it does not"},
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
	{ID: "BODY-001", Level: Must, Area: AreaBody, Source: srcODataParams,
		Title: "an action with parameters answers the documented success status to a body valid against its request schema (Content-Type: application/json)"},
	{ID: "BODY-002", Level: Should, Area: AreaBody, Source: srcODataParams,
		Title: "an action whose request body is required refuses a request without one with 400"},
	{ID: "BODY-003", Level: Should, Area: AreaBody, Source: srcODataUnknownParam,
		Title: "an action with parameters refuses a valid body plus a parameter it does not declare with 400"},
	{ID: "BODY-004", Level: Should, Area: AreaBody, Source: srcODataParams,
		Title: "an action with parameters refuses a body giving a parameter a value of the wrong JSON type with 400"},
	{ID: "BODY-005", Level: Should, Area: AreaHeaders, Source: srcRFC9110Media,
		Title: "an action with parameters refuses its body under an unsupported Content-Type with 415"},
	// MUST: the response is the operation's result, and a client reads it by the declared type
	// (OData §11.5.4.1/§11.5.3.1; the SDKs deserialise it with the type's parser); leniency is
	// only where real Graph is documented to deviate (spec/schema.Validate).
	{ID: "RESP-001", Level: Must, Area: AreaResponse, Source: srcODataResult,
		Title: "a success with content is application/json matching the documented response schema"},
	{ID: "EFF-001", Level: Should, Area: AreaEffect, Source: srcEffect,
		Title: "the documented effect of a successful call is observable: afterwards a GET of its entity shows the state the description declares"},
}
