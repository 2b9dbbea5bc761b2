import type { Child } from 'hono/jsx';
import { Layout, type LayoutProps } from '../components/layout.tsx';

/** Properties of {@link MessagePage}. */
export interface MessagePageProps extends Omit<LayoutProps, 'title' | 'children'> {
  title: string;
  children?: Child;
}

/** A page with a heading and a short explanation (errors, results). */
export function MessagePage(props: MessagePageProps) {
  return (
    <Layout {...props} title={props.title} narrow>
      <h1>{props.title}</h1>
      <div class="card">{props.children}</div>
    </Layout>
  );
}
