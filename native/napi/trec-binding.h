#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterTrec(Napi::Env env, Napi::Object exports);
}
