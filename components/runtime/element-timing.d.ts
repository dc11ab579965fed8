// The Element Timing API's attribute (https://w3c.github.io/element-timing/): the browser reports
// when the element's text was first painted. React passes it through; its types lack it.
import "react";

declare module "react" {
  // An augmentation repeats React's own type parameter, unused here.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface HTMLAttributes<T> {
    elementtiming?: string;
  }
}
