# Generates a C++ source holding every core/schemas/*.json as a string, so the
# binary carries its API models (no files to install or find at run time).
# Run in script mode: cmake -DSCHEMA_DIR=... -DOUTPUT=... -P EmbedSchemas.cmake
file(GLOB schemas ${SCHEMA_DIR}/*.json)
list(SORT schemas)
set(body "")
foreach(schema ${schemas})
  get_filename_component(name ${schema} NAME_WE)
  file(READ ${schema} content)
  string(APPEND body "        {\"${name}\", R\"vox_schema(${content})vox_schema\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from core/schemas by cmake/EmbedSchemas.cmake; do not edit.
#include \"embedded_schemas.hpp\"

namespace vox {

const std::vector<std::pair<std::string, std::string>>& embedded_schemas() {
    static const std::vector<std::pair<std::string, std::string>> schemas = {
${body}    };
    return schemas;
}

}  // namespace vox
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
