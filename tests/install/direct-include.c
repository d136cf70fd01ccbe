/* direct-include.c — must not compile: only <codestare.h> may be included */

#include <cs-accessor.h>

int
main (void)
{
  return 0;
}
