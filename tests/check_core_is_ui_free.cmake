include(${CMAKE_CURRENT_LIST_DIR}/../cmake/CheckCoreIsUiFree.cmake)
sglab_check_core_is_ui_free(${CORE_DIR})
