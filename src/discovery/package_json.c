/* package_json.c - package.json (cJSON): dependencies and devDependencies are
 * recorded; a JavaScript client library for Server-Sent Events or WebSockets
 * marks a realtime consumer (a front-end that sees committed changes pushed
 * by the service). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/disc_internal.h"
#include "pa/discovery.h"

static bool realtime_client(const char *name)
{
    static const char *const libs[] = {
        "socket.io-client", "ws", "eventsource", "@microsoft/fetch-event-source", "reconnecting-websocket",
        "sockjs-client", "event-source-polyfill", "extended-eventsource", "centrifuge", "@stomp/stompjs",
        "phoenix", "isomorphic-ws", "react-use-websocket",
    };
    for (size_t i = 0; i < sizeof libs / sizeof *libs; i++)
        if (strcmp(name, libs[i]) == 0) return true;
    return false;
}

void pa_disc_package_json(struct pa_context *ctx, const char *text, size_t len, const char *path)
{
    pa_disc_add_manifest(ctx, path);
    if (!pa_disc_text_ok(ctx, text, len, path)) return;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (!root) {
        uint32_t line = 1;
        const char *err = cJSON_GetErrorPtr();
        if (err && err >= text && err <= text + len)
            for (const char *p = text; p < err; p++) line += *p == '\n';
        pa_context_note(ctx, path, "invalid JSON near line %u", line);
        return;
    }
    if (!cJSON_IsObject(root)) {
        pa_context_note(ctx, path, "not a JSON object");
        cJSON_Delete(root);
        return;
    }
    static const char *const sections[] = {"dependencies", "devDependencies", "peerDependencies"};
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        const cJSON *deps = cJSON_GetObjectItemCaseSensitive(root, sections[s]);
        if (!cJSON_IsObject(deps)) continue;
        for (const cJSON *d = deps->child; d; d = d->next) {
            if (!d->string) continue;
            pa_disc_add_dep(ctx, d->string, cJSON_IsString(d) ? d->valuestring : NULL, path);
            if (realtime_client(d->string)) ctx->has_realtime_consumer = true;
        }
    }
    cJSON_Delete(root);
}
