#include "deptran/marshallable.h"

namespace janus {

namespace {

std::string Describe(int32_t kind) {
  std::string name = MarshallableRegistry::Global().NameOf(kind);
  return "kind " + std::to_string(kind) + (name.empty() ? "" : " (" + name + ")");
}

}  // namespace

MarshallDeputy::MarshallDeputy(std::shared_ptr<Marshallable> data)
    : sp_data_(std::move(data)), kind_(sp_data_ ? sp_data_->kind_ : kKindNone) {}

rrr::Marshal& operator<<(rrr::Marshal& m, const MarshallDeputy& d) {
  if (!d.sp_data_) {
    m << kKindNone;
    m.WriteLength(0);
    return m;
  }
  rrr::Marshal payload;
  d.sp_data_->ToMarshal(payload);
  m << d.sp_data_->kind_;
  m.WriteLength(payload.ContentSize());
  m.Append(std::move(payload));
  return m;
}

rrr::Marshal& operator>>(rrr::Marshal& m, MarshallDeputy& d) {
  rrr::Marshal::ReadTxn txn(m);  // undoes the header read if the deputy is truncated
  int32_t kind = kKindNone;
  size_t len = 0;
  try {
    m >> kind;
    len = m.ReadLength(1);
  } catch (const rrr::MarshalError& e) {
    throw MarshallableError(kind, "marshallable: truncated deputy (" + Describe(kind) +
                                      "): " + e.what());
  }
  rrr::Marshal payload(m.data(), len);
  m.Skip(len);
  txn.Commit();  // from here on, the deputy is consumed whatever happens

  if (kind == kKindNone) {
    if (len != 0) {
      throw MarshallableError(kind, "marshallable: empty deputy (kind 0) with a " +
                                        std::to_string(len) + "-byte payload; skipped it");
    }
    d = MarshallDeputy();
    return m;
  }
  std::shared_ptr<Marshallable> obj = MarshallableRegistry::Global().Create(kind);
  if (!obj) {
    throw MarshallableError(
        kind, "marshallable: unknown kind " + std::to_string(kind) + " (range " +
                  KindRangeName(kind) + "; is JANUS_REGISTER_MARSHALLABLE linked in?); skipped its " +
                  std::to_string(len) + "-byte payload");
  }
  try {
    obj->FromMarshal(payload);
  } catch (const std::exception& e) {
    throw MarshallableError(kind, "marshallable: " + Describe(kind) + ": its " +
                                      std::to_string(len) + "-byte payload does not decode: " +
                                      e.what());
  }
  if (!payload.Empty()) {
    throw MarshallableError(kind, "marshallable: " + Describe(kind) + ": FromMarshal left " +
                                      std::to_string(payload.ContentSize()) + " of " +
                                      std::to_string(len) + " payload bytes unread");
  }
  d.sp_data_ = std::move(obj);
  d.kind_ = kind;
  return m;
}

}  // namespace janus
