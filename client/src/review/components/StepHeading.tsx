// The heading of a step. It takes the focus when the step appears, so that screen readers announce the new step and
// keyboard users continue from the top of it.
import { useEffect, useRef, type ReactNode } from 'react';

export function StepHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} id={id} className="sb-r-step-heading">
      {children}
    </h1>
  );
}
