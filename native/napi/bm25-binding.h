#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterBm25(Napi::Env env, Napi::Object exports);
}
