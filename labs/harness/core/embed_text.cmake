# cmake -DIN=<file> -DOUT=<file.cc> -DSYMBOL=<name> -P embed_text.cmake
# Writes OUT, a C++ file defining `extern const char janus::harness::<SYMBOL>[]` with IN's bytes
# (as hex, so that any content is safe). Used to build the trace viewer into the drivers.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "// Generated from ${IN} by embed_text.cmake. DO NOT EDIT.\n"
  "namespace janus {\nnamespace harness {\nextern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = {\n${bytes}0x00};\n}  // namespace harness\n}  // namespace janus\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
