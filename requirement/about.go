package requirement

// About is what a requirement's page (docs/requirements/<ID>.md, `graphconform requirements ID`)
// says beyond its title: what the suite checks, the source's own words, and how to fix a failure.
// It is kept out of Requirement, which every case and verdict carries, so that no verdict carries
// prose.
type About struct {
	// Checks says what the suite sends and what it expects, in a paragraph.
	Checks string
	// Words are the source's own words. Each is a quotation unless Paraphrase says it is ours.
	Words []Words
	// Fix says what an implementation that fails the requirement should do.
	Fix string
}

// Words is one passage of a source.
type Words struct {
	// Text is the passage: the source's words verbatim ("…" marks a cut), or ours when Paraphrase.
	Text string
	// Paraphrase is true where the source has no sentence that says it, so Text is our summary.
	Paraphrase bool
	// From names the document the passage is from, URL links it.
	From string
	URL  string
}

// About returns what the requirement's page says about it; the zero About for an ID not in the
// catalogue.
func (r Requirement) About() About { return abouts[r.ID] }

// Documents cited by the passages (their URLs as the catalogue's sources give them).
const (
	graphErrors     = "Microsoft Graph error responses and resource types"
	graphErrorsURL  = "https://learn.microsoft.com/graph/errors"
	exemplarPage    = "the exemplar's Graph reference page (disconnect action)"
	exemplarPageURL = "https://learn.microsoft.com/graph/api/intune-remoteassistance-remoteassistancepartner-disconnect?view=graph-rest-1.0"
	odataProtocol   = "OData 4.01 Part 1: Protocol, §11.5.5.1 Invoking an Action"
	odataActionURL  = "https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_InvokinganAction"
	authErrors      = "Resolve Microsoft Graph authorization errors"
	authErrorsURL   = "https://learn.microsoft.com/graph/resolve-auth-errors"
)

// abouts holds one About per catalogue entry (requirement_test.go checks that they match). A
// quotation is copied from the document named, never written for it: ../shared/notes/graph-contract.md
// says where each was read.
var abouts = map[ID]About{
	"DISC-001": {
		Checks: "The suite sends the operation's documented request (its method and path, the key of an entity it made or was given, " +
			"the body the description documents, if any) with the token of a persona the permission table allows, and expects exactly " +
			"the success status the description declares, e.g. 204 for the exemplar. Another 2xx fails too: a client generated from the " +
			"description reads the declared status (an SDK expecting no content does not read a 200's body, one expecting a 202 polls).",
		Words: []Words{{Text: "If successful, this action returns a `204 No Content` response code.", From: exemplarPage, URL: exemplarPageURL}},
		Fix: "Answer a successful call with the status the operation's description declares for success, and no other. For an " +
			"action that returns nothing that is 204 No Content, even where 200 with an empty body would look equivalent.",
	},
	"DISC-002": {
		Checks: "The suite sends the documented request and reads the raw bytes of the answer, below Go's HTTP client (which hides " +
			"what a 204 must not carry). A 204 passes when nothing follows its header section: no body bytes on the connection, no " +
			"Content-Length other than 0, no Transfer-Encoding. Another status is not judged here (DISC-001 judges it).",
		Words: []Words{
			{Text: "A 204 response is terminated by the end of the header section; it cannot contain content or trailers.",
				From: "RFC 9110 §15.3.5 204 No Content", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.5"},
			{Text: "A server MUST NOT send a Content-Length header field in any response with a status code of 1xx (Informational) or 204 (No Content).",
				From: "RFC 9110 §8.6 Content-Length", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-8.6"},
		},
		Fix: "Write a 204 with its header section only: no body, no chunked framing, no Content-Length (or Content-Length: 0). " +
			"Frameworks that serialise a null or empty result as \"null\" or \"{}\" under 204 need to be told the status has no content.",
	},
	"DISC-003": {
		Checks: "The suite sends the documented request to an action that declares no parameters with no body and no Content-Type header, " +
			"and expects a 2xx: the way Graph's reference page and Microsoft's SDKs call such an action.",
		Words: []Words{{Text: "Do not supply a request body for this method.", From: exemplarPage, URL: exemplarPageURL}},
		Fix: "Accept a parameterless action's POST without a body and without Content-Type; do not require application/json on an " +
			"empty request.",
	},
	"DISC-004": {
		Checks: "The suite sends `{}` with Content-Type: application/json to an action that declares no parameters (a request body " +
			"representing no parameters) and expects a 2xx.",
		Words: []Words{{Text: "4.01 services MUST support invoking actions with no non-binding parameters and parameterless action imports " +
			"both without a request body and with a request body representing no parameters, according to the particular format. " +
			"Interoperable clients SHOULD always include a request body, even when invoking actions with no non-binding parameters " +
			"and parameterless action imports.", From: odataProtocol, URL: odataActionURL}},
		Fix: "Treat an empty JSON object as \"no parameters\": accept it exactly as a request without a body. It is a SHOULD because " +
			"Graph speaks OData 4.0, which does not state the rule.",
	},
	"DISC-005": {
		Checks: "The suite sends a JSON object with a member the action does not declare (`graphconformUndeclaredParameter`) with " +
			"Content-Type: application/json, and expects 400 Bad Request. A target that ignores the member, or refuses it with another " +
			"status (422, 415), fails.",
		Words: []Words{
			{Text: "The parameter '{0}' in the request payload is not a valid parameter for the operation '{1}'.",
				From: "Microsoft's OData library for .NET (OData/odata.net), the message with which it refuses such a body; its tests expect 400",
				URL:  "https://github.com/OData/odata.net"},
			{Text: "The OData specification does not say in one sentence what a service does with a parameter it does not declare; " +
				"Microsoft's OData library, on which Graph's services are built, refuses the body as a bad request.", Paraphrase: true,
				From: odataProtocol, URL: odataActionURL},
		},
		Fix: "Validate the body of an action against the parameters it declares and answer 400 with the error envelope naming the " +
			"unknown parameter; do not silently ignore it (a client with a typo would believe the call did what it asked).",
	},
	"DISC-006": {
		Checks: "The suite sends a non-empty body under a media type no action takes (text/plain, then application/xml) to an action " +
			"that declares no parameters, and expects 415 Unsupported Media Type for each.",
		Words: []Words{
			{Text: "The content type of the request is a format that isn't supported by the service.", From: graphErrors + " (415 Unsupported Media Type)", URL: graphErrorsURL},
			{Text: "The 415 (Unsupported Media Type) status code indicates that the origin server is refusing to service the request " +
				"because the content is in a format not supported by this method on the target resource.",
				From: "RFC 9110 §15.5.16 415 Unsupported Media Type", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"},
		},
		Fix: "Check the Content-Type of a non-empty request body before anything else reads it, and refuse what is not " +
			"application/json with 415 and the error envelope (not 400: the body's format, not its content, is what is wrong).",
	},
	"DISC-007": {
		Checks: "For each method of GET, POST, PUT, PATCH and DELETE that the operation's path does not declare, the suite sends the " +
			"operation's request with that method and expects anything but a 2xx. The refusal's status is DISC-007.1's concern.",
		Words: []Words{{Text: "The HTTP method in the request isn't allowed on the resource.", From: graphErrors + " (405 Method Not Allowed)", URL: graphErrorsURL}},
		Fix: "Route by method as well as by path: a method the path does not declare must never reach the operation's handler " +
			"(nor a prefix route that happens to match).",
	},
	"DISC-007.1": {
		Checks: "For each undeclared method (as in DISC-007) the suite expects 405 Method Not Allowed with an Allow header that lists " +
			"the operation's own method.",
		Words: []Words{{Text: "The origin server MUST generate an Allow header field in a 405 response containing a list of the target " +
			"resource's currently supported methods.", From: "RFC 9110 §15.5.6 405 Method Not Allowed", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6"}},
		Fix: "Answer an undeclared method with 405 and Allow: <the declared methods>, e.g. Allow: POST on an action. Graph itself " +
			"has been seen answering 400 here, which is why this is a SHOULD.",
	},
	"DISC-008": {
		Checks: "The suite sends the documented request with a random GUID in place of the bound entity's key and expects 404 Not Found.",
		Words:  []Words{{Text: "The requested resource doesn’t exist.", From: graphErrors + " (404 Not Found)", URL: graphErrorsURL}},
		Fix: "Look the key up before invoking the operation and answer 404 with the error envelope when no entity has it; not 400 " +
			"(the request is well formed) and never a 2xx.",
	},
	"DISC-009": {
		Checks: "Two cases: the suite changes the case of every literal path segment (e.g. /DEVICEMANAGEMENT/…/DISCONNECT) and expects " +
			"a 2xx; then it changes the case of the key alone and expects anything but a 2xx, since a key is matched exactly.",
		Words: []Words{{Text: "Path URL resource names, query parameters, and action parameters and values are case insensitive. " +
			"However, values you assign, entity IDs, and other base64-encoded values are case-sensitive.",
			From: "Use the Microsoft Graph API", URL: "https://learn.microsoft.com/graph/use-the-api"}},
		Fix: "Match path segment names case-insensitively (compare folded names, or route on a lower-cased path) but compare keys " +
			"byte for byte.",
	},
	"DISC-010": {
		Checks: "The suite sends the documented request with the operation segment qualified by Graph's namespace " +
			"(…/microsoft.graph.disconnect for the exemplar) and expects a 2xx, as for the short segment.",
		Words: []Words{{Text: "An action URL may be obtained from a previously returned entity representation or constructed by " +
			"appending the namespace- or alias-qualified action name to a URL that identifies a resource whose type is the same as, " +
			"or derives from, the type of the binding parameter of the action.", From: odataProtocol, URL: odataActionURL}},
		Fix: "Route microsoft.graph.<name> to the same operation as <name>. Microsoft's PowerShell SDK and older Go SDKs call the " +
			"qualified form.",
	},
	"AUTH-001": {
		Checks: "The suite sends the documented request with credentials that must not authenticate: no Authorization header, the " +
			"Bearer scheme with no token, a Basic credential, a malformed token, a tampered signature, the valid token under another " +
			"scheme or without one, an unsigned token (\"alg\":\"none\"), and, when the configuration supplies them, genuinely signed " +
			"tokens that are expired, not yet valid, for another audience or issuer, or signed with the issuer's public key as an " +
			"HMAC key. Each must be refused with 401: never a 2xx, and never 403, which means \"authenticated, not allowed\".",
		Words: []Words{
			{Text: "Required authentication information is either missing or not valid for the resource.", From: graphErrors + " (401 Unauthorized)", URL: graphErrorsURL},
			{Text: "Bearer <token> Required.", From: exemplarPage + ", Request headers (Authorization)", URL: exemplarPageURL},
		},
		Fix: "Validate every token before anything else: the Bearer scheme, a JWT signed by a key of the issuer you trust with an " +
			"algorithm you expect (never none, never HMAC with a public key), exp and nbf against the clock, aud and iss against your " +
			"own. Refuse anything that fails with 401 and a WWW-Authenticate challenge.",
	},
	"AUTH-002": {
		Checks: "For every request the suite expects a 401 for (each AUTH-001 credential, and a personal account's token where the " +
			"operation supports none), it checks that the 401 carries a WWW-Authenticate header with a Bearer challenge.",
		Words: []Words{{Text: "A server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field containing " +
			"at least one challenge.", From: "RFC 9110 §11.6.1 WWW-Authenticate", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1"}},
		Fix: "Add WWW-Authenticate: Bearer (Graph sends realm, authorization_uri and client_id parameters) to every 401, including " +
			"those a gateway or middleware writes before your handler runs.",
	},
	"AUTH-003": {
		Checks: "The suite sends a valid token under the scheme written bearer, then BEARER, and expects each accepted (2xx).",
		Words: []Words{{Text: "It uses a case-insensitive token to identify the authentication scheme",
			From: "RFC 9110 §11.1 Authentication Scheme", URL: "https://www.rfc-editor.org/rfc/rfc9110#section-11.1"}},
		Fix: "Compare the scheme name case-insensitively (strings.EqualFold, not a prefix match on \"Bearer \").",
	},
	"PERM-001": {
		Checks: "Each configured work or school persona holding a permission the operation's table accepts for delegated work " +
			"accounts sends the documented request with its own token, and must get the documented success status.",
		Words: []Words{{Text: "Delegated (work or school account): DeviceManagementServiceConfig.ReadWrite.All",
			From: exemplarPage + ", Permissions table", URL: exemplarPageURL + "#permissions"}},
		Fix: "Accept a delegated token whose scp claim holds any permission the reference page lists for the operation, not only the " +
			"most privileged one.",
	},
	"PERM-002": {
		Checks: "Each configured application persona sends the documented request with its token. Where the revision of the permission " +
			"table the run uses lists an application permission the persona holds, it must get the documented success; where the " +
			"table says application permissions are not supported (the exemplar's page before 22 April 2021), it must be refused " +
			"with 401 or 403.",
		Words: []Words{
			{Text: "Application: DeviceManagementServiceConfig.ReadWrite.All", From: exemplarPage + ", Permissions table (current revision)", URL: exemplarPageURL + "#permissions"},
			{Text: "Application: Not supported.", From: exemplarPage + ", Permissions table (revision before 22 April 2021)", URL: exemplarPageURL + "#permissions"},
		},
		Fix: "Read an application token's roles claim against the table's Application row; implement the revision you claim (run " +
			"with --revision to say which).",
	},
	"PERM-003": {
		Checks: "Each persona holding no permission the table accepts for its account kind (e.g. only DeviceManagementServiceConfig.Read.All) " +
			"sends the documented request with its valid token and must be refused with 403 Forbidden: its token authenticates it, " +
			"its permissions do not allow the call.",
		Words: []Words{
			{Text: "Access is denied to the requested resource. The user might not have enough permission or might not have a required license.",
				From: graphErrors + " (403 Forbidden)", URL: graphErrorsURL},
			{Text: "MUST return a 403 Forbidden error when the application or signed-in user has insufficient permissions present in the auth token",
				From: "Microsoft Graph REST API guidelines", URL: "https://github.com/microsoft/api-guidelines/blob/vNext/graph/GuidelinesGraph.md"},
		},
		Fix: "Authorise after authenticating: when a valid token's scp or roles hold none of the accepted permissions, answer 403 " +
			"with the error envelope, not 401 (which tells the client to get a new token that would fare no better).",
	},
	"PERM-004": {
		Checks: "A persona with a personal Microsoft account sends the documented request to an operation whose table says personal " +
			"accounts are not supported, and must be refused with a 4xx, never a 2xx, whatever permissions its token claims.",
		Words: []Words{{Text: "Delegated (personal Microsoft account): Not supported.", From: exemplarPage + ", Permissions table", URL: exemplarPageURL + "#permissions"}},
		Fix: "Tell personal accounts from work or school accounts by the token (Microsoft's consumer tenant) and refuse them where the " +
			"operation supports none.",
	},
	"PERM-004.1": {
		Checks: "As PERM-004, the personal account's refusal must be 401 or 403 (an authentication or authorisation refusal), not " +
			"another 4xx such as 400 or 404.",
		Words: []Words{{Text: "… if you try to use a delegated access token granted to a personal Microsoft account, to access an " +
			"API that only supports work or school accounts.", From: authErrors + " (when Microsoft Graph answers 401)", URL: authErrorsURL}},
		Fix: "Refuse a personal account on a work-or-school-only operation with 401 (as Graph documents) or 403, with the error envelope.",
	},
	"PERM-005": {
		Checks: "When the run merges Microsoft's permissions metadata (--permissions) and it lists a permission the reference page does " +
			"not (for the exemplar DeviceManagementConfiguration.ReadWrite.All), a persona holding only that permission sends the " +
			"documented request and should get the documented success. MAY: the reference page, which does not list it, remains " +
			"the contract.",
		Words: []Words{{Text: "Microsoft's permissions file lists DeviceManagementConfiguration.ReadWrite.All for POST on the " +
			"disconnect path, for delegated work accounts and applications, without marking it least privileged; the reference page " +
			"lists only DeviceManagementServiceConfig.ReadWrite.All.", Paraphrase: true,
			From: "Microsoft's Graph permissions metadata (permissions.json)", URL: "https://github.com/microsoftgraph/microsoft-graph-devx-content"}},
		Fix: "Nothing is required. To behave as Graph's permission metadata says, accept the permissions it lists for the operation " +
			"as well as the page's.",
	},
	"ERR-001": {
		Checks: "For the error responses the suite provokes (a 401 without a token and for a tampered token, the 404 for an unknown " +
			"key, the 405 for a wrong method, the 400 for an undeclared parameter, the 415 for a foreign media type, the 403 for an " +
			"insufficient persona) it checks Content-Type: application/json and a body that is one JSON object with an error object " +
			"holding a string code and a string message; optional members (target, details, innerError) must have their documented types.",
		Words: []Words{
			{Text: "Errors in Microsoft Graph are returned using standard HTTP status codes, and a JSON error response object.", From: graphErrors, URL: graphErrorsURL},
			{Text: "The error response is a single JSON object that contains a single property named **error**.", From: graphErrors, URL: graphErrorsURL},
		},
		Fix: "Write every 4xx and 5xx, including those of gateways and authentication middleware, as application/json " +
			"{\"error\": {\"code\": \"…\", \"message\": \"…\"}}. Clients key off code, so make it a stable string.",
	},
	"HDR-001": {
		Checks: "The suite checks that a success and an error response carry a request-id header, and that a client-request-id it sends " +
			"comes back unchanged on both.",
		Words: []Words{
			{Text: "Always log the `request-id`, `timestamp` and `x-ms-ags-diagnostic` from the HTTP response headers",
				From: "Best practices for working with Microsoft Graph", URL: "https://learn.microsoft.com/graph/best-practices-concept"},
			{Text: "Graph's responses are observed to carry back the client-request-id the client sent; the documentation asks " +
				"clients to send one but does not promise the echo.", Paraphrase: true,
				From: "Best practices for working with Microsoft Graph", URL: "https://learn.microsoft.com/graph/best-practices-concept"},
		},
		Fix: "Give every response, errors included, a request-id (a fresh GUID), and echo a client-request-id the request carried.",
	},
	"BODY-001": {
		Checks: "For an action with parameters the suite sends a minimal body valid against the request schema (and the description's " +
			"example body, when there is one) with Content-Type: application/json, and expects the documented success status.",
		Words: []Words{{Text: "The value for the binding parameter is the resource identified by the URL preceding the action name, " +
			"and only the non-binding parameter values are passed in the request body according to the particular format.",
			From: odataProtocol, URL: odataActionURL}},
		Fix: "Accept any body the request schema allows, including one with only the required parameters; do not require optional " +
			"parameters or members the schema does not list as required.",
	},
	"BODY-002": {
		Checks: "For an action whose request body is required, the suite sends the request without a body and expects 400 Bad Request.",
		Words:  []Words{{Text: "Can't process the request because it's malformed or incorrect.", From: graphErrors + " (400 Bad Request)", URL: graphErrorsURL}},
		Fix:    "Refuse a missing required body with 400 and the error envelope before invoking the operation.",
	},
	"BODY-003": {
		Checks: "The suite sends a valid body plus a member no parameter declares (`graphconformUndeclaredParameter`) and expects 400 " +
			"Bad Request.",
		Words: []Words{{Text: "The parameter '{0}' in the request payload is not a valid parameter for the operation '{1}'.",
			From: "Microsoft's OData library for .NET (OData/odata.net), the message with which it refuses such a body; its tests expect 400",
			URL:  "https://github.com/OData/odata.net"}},
		Fix: "Validate the body against the declared parameters and refuse unknown members with 400; do not ignore them.",
	},
	"BODY-004": {
		Checks: "The suite sends a valid body in which one parameter has a value of another JSON type (a string for an integer, a " +
			"number for a string, …) and expects 400 Bad Request. When no parameter has a type another value would break, the case " +
			"is not applicable.",
		Words: []Words{{Text: "Can't process the request because it's malformed or incorrect.", From: graphErrors + " (400 Bad Request)", URL: graphErrorsURL}},
		Fix:   "Check each parameter's JSON type against its schema and refuse a mismatch with 400; do not coerce (\"3\" is not 3).",
	},
	"BODY-005": {
		Checks: "The suite sends the valid body under Content-Type: text/plain, then an XML body under application/xml, and expects " +
			"415 Unsupported Media Type for each.",
		Words: []Words{{Text: "The content type of the request is a format that isn't supported by the service.", From: graphErrors + " (415 Unsupported Media Type)", URL: graphErrorsURL}},
		Fix:   "Refuse a body whose Content-Type is not application/json with 415 before parsing it, even when its bytes happen to be JSON.",
	},
	"RESP-001": {
		Checks: "For an operation whose success carries content, the suite sends the documented request and, when the status is the " +
			"documented one, checks that the response is application/json and valid against the documented response schema " +
			"(required members present, types as declared), leniently only where real Graph is documented to deviate.",
		Words: []Words{{Text: "An operation's result is returned in the response body, as a value of its declared return type written " +
			"in the format the client asked for; the OData specification spreads this over several sections rather than one sentence.",
			Paraphrase: true, From: odataProtocol, URL: odataActionURL}},
		Fix: "Return the result as application/json shaped as the description's success schema: every required member, each of its " +
			"declared type. A client generated from the description reads it with that type's parser.",
	},
	"EFF-001": {
		Checks: "Where the description declares an effect, the suite reads the entity with a GET before the call (and, where the " +
			"declared effect has a starting value, sets it first), makes the documented call, and reads it again: afterwards the " +
			"property must have the declared value. A call that changes nothing cannot pass, since the value before must differ.",
		Words: []Words{
			{Text: "A request to remove the active TeamViewer connector", From: exemplarPage + ", its description", URL: exemplarPageURL},
			{Text: "The status reported when there is no active TeamViewer connector configured or active",
				From: "remoteAssistanceOnboardingStatus, member notOnboarded (Microsoft Graph metadata)",
				URL:  "https://learn.microsoft.com/graph/api/resources/intune-remoteassistance-remoteassistancepartner?view=graph-rest-1.0"},
		},
		Fix: "Make the operation do what it is documented to do, and persist it: a GET of the entity afterwards must show the new state.",
	},
}
