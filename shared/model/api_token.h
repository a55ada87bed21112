/*
 * A personal API token on the wire (docs/api.md, "API tokens"). The secret itself is only
 * in the answer that created it. Strings are the struct's own, freed by
 * edu_api_token_release(); a NULL string is JSON null.
 */
#ifndef EDU_MODEL_API_TOKEN_H
#define EDU_MODEL_API_TOKEN_H

#include <cjson/cJSON.h>

/* The scopes a token may have, weakest first, NULL-terminated: "read" (GET only), "write". */
extern const char *const edu_token_scopes[];
/* The scope's index in edu_token_scopes (0: the weakest, "read"), or -1 when it is none. */
int edu_token_scope_index(const char *scope);

struct edu_api_token {
	char *id;
	char *name;
	char *scope;		/* one of edu_token_scopes */
	char *created_at;
	char *expires_at;	/* NULL: never */
	char *last_used_at;	/* NULL: never used */
	char *token;		/* only in the answer that created it */
};

cJSON *edu_api_token_to_json(const struct edu_api_token *t);
/* Returns 0, or -1 when j is not a token (no id). */
int edu_api_token_from_json(struct edu_api_token *t, const cJSON *j);
void edu_api_token_release(struct edu_api_token *t);

#endif
