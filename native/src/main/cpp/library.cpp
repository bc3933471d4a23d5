#include "agentcouncil.h"

extern "C" const char *ac_version(void) { return AGENTCOUNCIL_VERSION; }

extern "C" const char *ac_status_name(int status) {
    switch (status) {
        case AC_OK:
            return "AC_OK";
        case AC_ERR_INVALID_ARGUMENT:
            return "AC_ERR_INVALID_ARGUMENT";
        default:
            return "AC_ERR_UNKNOWN";
    }
}
