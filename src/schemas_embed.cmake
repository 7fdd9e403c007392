# Turns schemas/*.schema.json into a C file of byte arrays, so verify and
# the run's self-check validate against the schemas of the build itself
# without a schemas/ folder beside an installed tool.
# Usage: cmake -DOUT=<file.c> -DSOURCES="<a.json>|<b.json>" -P schemas_embed.cmake
string(REPLACE "|" ";" SOURCES "${SOURCES}")
list(SORT SOURCES)
set(body "/* Generated from schemas/ by schemas_embed.cmake. Do not edit. */\n#include \"pvecg/schemas.h\"\n\n")
set(table "")
set(i 0)
foreach(src ${SOURCES})
  get_filename_component(name ${src} NAME)
  file(READ ${src} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR len "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
  string(APPEND body "static const unsigned char schema_${i}[] = {\n${bytes}0x00\n};\n\n")
  string(APPEND table "\t{ \"${name}\", (const char *)schema_${i}, ${len} },\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const pvecg_schema_text pvecg_schemas_embedded[] = {\n${table}};\n")
string(APPEND body "const size_t pvecg_schemas_embedded_count = ${i};\n")
file(WRITE ${OUT}.tmp "${body}")
file(RENAME ${OUT}.tmp ${OUT})
