// deptran_server: runs one site of a cluster as its own process (see deptran/launcher.h for the
// flags and labs/cluster/cluster_sites.cc for the labs it can run).
#include "deptran/launcher.h"

int main(int argc, char** argv) { return janus::LauncherMain(argc, argv); }
