#include "agentcouncil.h"

extern "C" const char *ac_version(void) { return AGENTCOUNCIL_VERSION; }

extern "C" const char *ac_status_name(int status) {
    switch (status) {
        case AC_OK:
            return "AC_OK";
        case AC_ERR_INVALID_ARGUMENT:
            return "AC_ERR_INVALID_ARGUMENT";
        case AC_ERR_IO:
            return "AC_ERR_IO";
        case AC_ERR_UNSUPPORTED:
            return "AC_ERR_UNSUPPORTED";
        case AC_ERR_BAD_MODEL:
            return "AC_ERR_BAD_MODEL";
        case AC_ERR_CONTEXT_FULL:
            return "AC_ERR_CONTEXT_FULL";
        case AC_ERR_OUT_OF_MEMORY:
            return "AC_ERR_OUT_OF_MEMORY";
        case AC_ERR_INTERNAL:
            return "AC_ERR_INTERNAL";
        default:
            return "AC_ERR_UNKNOWN";
    }
}
